//! What the document says about the API itself: `info` and the OpenAPI version.

/// The OpenAPI version written in the document's `openapi` field.
///
/// ```
/// use dmr_runtime::openapi::OpenApiVersion;
///
/// assert_eq!(OpenApiVersion::default().as_str(), "3.1.0");
/// assert_eq!(OpenApiVersion::V3_2.as_str(), "3.2.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OpenApiVersion {
    /// `3.1.0`, the default: what Swagger UI and most tools read today.
    #[default]
    V3_1,
    /// `3.2.0`, on request (the version of the reference's generated examples).
    V3_2,
}

impl OpenApiVersion {
    /// The version string (`3.1.0`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V3_1 => "3.1.0",
            Self::V3_2 => "3.2.0",
        }
    }

    pub(crate) fn to_utoipa(self) -> utoipa::openapi::OpenApiVersion {
        match self {
            Self::V3_1 => utoipa::openapi::OpenApiVersion::Version31,
            Self::V3_2 => utoipa::openapi::OpenApiVersion::Version32,
        }
    }
}

/// The document's `info` and version; set it with
/// [`ApiBuilder::openapi`](crate::ApiBuilder::openapi).
///
/// The default is title `API`, version `0.1.0`, OpenAPI 3.1.0.
///
/// ```
/// use dmr_runtime::openapi::{OpenApiConfig, OpenApiVersion};
///
/// let config = OpenApiConfig::new("Articles", "1.2.0")
///     .description("Articles and their authors")
///     .openapi_version(OpenApiVersion::V3_2);
/// assert_eq!(config.title(), "Articles");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiConfig {
    title: String,
    version: String,
    description: Option<String>,
    openapi_version: OpenApiVersion,
}

impl Default for OpenApiConfig {
    fn default() -> Self {
        Self::new("API", "0.1.0")
    }
}

impl OpenApiConfig {
    /// `info.title` and `info.version` (the version of the API, not of OpenAPI).
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            version: version.into(),
            description: None,
            openapi_version: OpenApiVersion::default(),
        }
    }

    /// `info.description` (Markdown).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The OpenAPI version of the document (3.1.0 unless asked).
    pub fn openapi_version(mut self, version: OpenApiVersion) -> Self {
        self.openapi_version = version;
        self
    }

    /// `info.title`.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The OpenAPI version.
    pub fn version(&self) -> OpenApiVersion {
        self.openapi_version
    }

    pub(crate) fn info(&self) -> utoipa::openapi::Info {
        utoipa::openapi::InfoBuilder::new()
            .title(self.title.clone())
            .version(self.version.clone())
            .description(self.description.clone())
            .build()
    }
}
