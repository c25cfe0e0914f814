//! [`ErrorSchema`]: the OpenAPI components that describe an error model's bodies, and the
//! reference's own (`ErrorModel`, `ErrorDetail`) byte for byte.

use std::borrow::Cow;

/// The OpenAPI components that describe an [`ErrorModel`](super::ErrorModel)'s bodies.
///
/// Components are kept as JSON text and printed verbatim into the document, so their key
/// order is exactly what is written here. Two error models that name a component the same
/// but define it differently make [`ApiBuilder::build`](crate::ApiBuilder::build) fail.
///
/// # Example
///
/// ```
/// use dmr_runtime::error::ErrorSchema;
///
/// let schema = ErrorSchema::new("FlatError").component(
///     "FlatError",
///     r#"{"type":"object","properties":{"error":{"type":"array","items":{"type":"object"}}}}"#,
/// );
/// assert_eq!(schema.name, "FlatError");
/// assert_eq!(ErrorSchema::reference().components.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSchema {
    /// The component error responses reference (`#/components/schemas/<name>`).
    pub name: Cow<'static, str>,
    /// Every component to print, as `(name, JSON text)`, in order.
    pub components: Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

/// django-modern-rest's `ErrorDetail` component, byte for byte.
const ERROR_DETAIL: &str = r##"{"properties":{"msg":{"type":"string","title":"Msg"},"type":{"type":"string","title":"Type"},"loc":{"items":{"anyOf":[{"type":"integer"},{"type":"string"}]},"type":"array","title":"Loc"}},"type":"object","required":["msg"],"title":"ErrorDetail","description":"Base schema for error details description."}"##;

/// django-modern-rest's `ErrorModel` component, byte for byte.
const ERROR_MODEL: &str = r##"{"properties":{"detail":{"items":{"$ref":"#/components/schemas/ErrorDetail"},"type":"array","title":"Detail"}},"type":"object","required":["detail"],"title":"ErrorModel","description":"Default error response schema.\n\nCan be customized.\nSee :ref:`customizing-error-messages` for more details."}"##;

impl ErrorSchema {
    /// A schema whose responses reference the component `name` (add it with
    /// [`ErrorSchema::component`]).
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            components: Vec::new(),
        }
    }

    /// Adds a component given as JSON text (checked when the API is built).
    pub fn component(
        mut self,
        name: impl Into<Cow<'static, str>>,
        json: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.components.push((name.into(), json.into()));
        self
    }

    /// The reference's `ErrorModel` (referenced) and `ErrorDetail` components.
    pub fn reference() -> Self {
        Self::new("ErrorModel")
            .component("ErrorDetail", ERROR_DETAIL)
            .component("ErrorModel", ERROR_MODEL)
    }

    /// The schema of a type deriving `utoipa::ToSchema`, with the components it refers to.
    ///
    /// ```
    /// use dmr_runtime::error::ErrorSchema;
    ///
    /// #[derive(utoipa::ToSchema)]
    /// struct Problem {
    ///     title: String,
    /// }
    ///
    /// let schema = ErrorSchema::of::<Problem>();
    /// assert_eq!(schema.name, "Problem");
    /// assert!(schema.components[0].1.contains(r#""title""#));
    /// ```
    pub fn of<T: utoipa::ToSchema>() -> Self {
        let mut nested = Vec::new();
        T::schemas(&mut nested);
        let name = T::name().into_owned();
        let text = |s: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
            Cow::Owned(serde_json::to_string(s).unwrap_or_default())
        };
        let mut schema = Self::new(name.clone()).component(name, text(&T::schema()));
        for (n, s) in &nested {
            schema = schema.component(n.clone(), text(s));
        }
        schema
    }
}
