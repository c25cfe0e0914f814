// Served as `<docs>/swagger-initializer.js` in place of Swagger UI's own: the same start-up,
// plus a request interceptor that lets a logged-in session (or cookie JWT) user send unsafe
// requests from this page. The CSRF check wants the `csrftoken` cookie's value back in the
// `X-CSRFToken` header; a browser does not add it by itself, so the page does, for requests
// to this page's own origin only (the token never leaves the site).
// With `ApiBuilder::docs_login`, the page also logs in at the identity provider (Authorize:
// authorization code + PKCE, public client); the provider sends the browser back to
// `oauth2-redirect.html` next to this page.
window.onload = function () {
  var config = /*CONFIG*/;
  var oauth = /*OAUTH*/;
  var redirect = /*REDIRECT*/;
  var SAFE = ["GET", "HEAD", "OPTIONS", "TRACE"];

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (eq > 0 && parts[i].slice(0, eq) === name) {
        return decodeURIComponent(parts[i].slice(eq + 1));
      }
    }
    return null;
  }

  function hasHeader(headers, name) {
    var wanted = name.toLowerCase();
    return Object.keys(headers).some(function (key) {
      return key.toLowerCase() === wanted;
    });
  }

  config.requestInterceptor = function (request) {
    var target;
    try {
      target = new URL(request.url, window.location.href);
    } catch (e) {
      return request;
    }
    if (target.origin !== window.location.origin) {
      return request;
    }
    request.headers = request.headers || {};
    // a script's request: the API's 401 then leaves out the Basic challenge, which would open
    // the browser's own password dialog over the page (use Authorize instead)
    if (!hasHeader(request.headers, "X-Requested-With")) {
      request.headers["X-Requested-With"] = "XMLHttpRequest";
    }
    var method = (request.method || "GET").toUpperCase();
    if (SAFE.indexOf(method) !== -1) {
      return request;
    }
    var token = cookie("csrftoken");
    if (token && !hasHeader(request.headers, "X-CSRFToken")) {
      request.headers["X-CSRFToken"] = token;
    }
    return request;
  };
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  config.plugins = [SwaggerUIBundle.plugins.DownloadUrl];
  if (redirect !== null) {
    config.oauth2RedirectUrl = new URL(redirect, window.location.href).href;
  }
  window.ui = SwaggerUIBundle(config);
  if (oauth !== null) {
    window.ui.initOAuth(oauth);
  }
};
