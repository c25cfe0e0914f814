impl Articles {
    async fn list() -> &'static str {
        "articles"
    }
    async fn show() -> &'static str {
        "article"
    }
}
::core::compile_error! {
    "unknown HTTP method `fetch`, expected one of `get`, `post`, `put`, `patch`, `delete`, `head`, `options`, `trace`"
}
::core::compile_error! {
    "unclosed `{` in path segment `{id`, close it with `}`"
}
