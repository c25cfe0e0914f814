//! What a handler argument contributes to its operation: parameters and a request body.

use std::borrow::Cow;

use actix_web::web::{Bytes, Form, Json, Path, Query};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{RefOr, Required};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::{Named, schema_of};

/// What one handler argument contributes to its operation.
///
/// The `#[controller]` expansion asks every argument type for its `ArgDoc` (through
/// [`probe`](super::probe)); extractors of this crate's choice answer, and any type can answer
/// by implementing [`DescribeArg`].
///
/// ```
/// use dmr_runtime::openapi::ArgDoc;
///
/// #[derive(utoipa::ToSchema)]
/// struct NewArticle {
///     title: String,
/// }
///
/// let body = ArgDoc::body::<NewArticle>("application/json");
/// assert!(body.has_body());
/// assert!(!ArgDoc::none().has_body());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ArgDoc {
    pub(crate) params: Vec<ParamDoc>,
    pub(crate) body: Option<BodyDoc>,
    pub(crate) components: Vec<Named>,
}

/// One parameter: complete, or a path parameter named by its position in the path template.
#[derive(Debug, Clone)]
pub(crate) enum ParamDoc {
    Named(Parameter),
    /// The n-th `{..}` of the path (a `Path<(A, B)>` element); an object schema with
    /// properties stands for one parameter per property instead.
    Positional(RefOr<Schema>),
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) struct BodyDoc {
    pub(crate) media: Cow<'static, str>,
    pub(crate) schema: RefOr<Schema>,
}

impl ArgDoc {
    /// Nothing (an extractor OpenAPI does not describe, like `HttpRequest`).
    pub fn none() -> Self {
        Self::default()
    }

    /// A required request body of media type `media` whose schema is `T`'s (a `$ref` for
    /// named object types, which then appear under `components.schemas`).
    pub fn body<T: ToSchema + ?Sized>(media: impl Into<Cow<'static, str>>) -> Self {
        let mut doc = Self::none();
        let schema = schema_of::<T>(&mut doc.components);
        doc.body = Some(BodyDoc {
            media: media.into(),
            schema,
        });
        doc
    }

    /// A required request body with an inline schema.
    pub fn body_schema(
        media: impl Into<Cow<'static, str>>,
        schema: impl Into<RefOr<Schema>>,
    ) -> Self {
        Self {
            body: Some(BodyDoc {
                media: media.into(),
                schema: schema.into(),
            }),
            ..Self::none()
        }
    }

    /// The query parameters of `T` (`#[derive(IntoParams)]`).
    pub fn query<T: IntoParams>() -> Self {
        Self::none().parameters(T::into_params(|| Some(ParameterIn::Query)))
    }

    /// The path parameters of `T` (`#[derive(IntoParams)]`): its field names must be the
    /// names in the path template.
    pub fn path<T: IntoParams>() -> Self {
        Self::none().parameters(T::into_params(|| Some(ParameterIn::Path)))
    }

    /// Adds complete parameters.
    pub fn parameters(mut self, params: impl IntoIterator<Item = Parameter>) -> Self {
        self.params.extend(params.into_iter().map(ParamDoc::Named));
        self
    }

    /// Adds a path parameter named by its position: the next `{..}` of the path template not
    /// taken by an earlier positional parameter (an object schema with properties stands for
    /// one parameter per property).
    pub fn positional_path(mut self, schema: impl Into<RefOr<Schema>>) -> Self {
        self.params.push(ParamDoc::Positional(schema.into()));
        self
    }

    /// Whether the argument is a request body.
    pub fn has_body(&self) -> bool {
        self.body.is_some()
    }
}

/// Implemented by argument types that describe themselves to OpenAPI.
///
/// The `#[controller]` expansion calls [`DescribeArg::arg_doc`] once per argument when the API
/// is built. Implemented here for `Json<T>` and `Form<T>` (`T: ToSchema`), `Query<T>` and
/// `Path<T>` (`T: IntoParams`), `String` (a `text/plain` body) and `Bytes`. `Path<(A, B)>` and
/// `Path<A>` with schema-carrying elements are described too, by position.
///
/// ```
/// use dmr_runtime::openapi::{ArgDoc, DescribeArg};
/// use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
/// use utoipa::openapi::Required;
///
/// /// An extractor that reads `X-Tenant`.
/// struct Tenant(String);
///
/// impl DescribeArg for Tenant {
///     fn arg_doc() -> ArgDoc {
///         let header = ParameterBuilder::new()
///             .name("X-Tenant")
///             .parameter_in(ParameterIn::Header)
///             .required(Required::True)
///             .build();
///         ArgDoc::none().parameters([header])
///     }
/// }
/// # let _ = Tenant::arg_doc();
/// ```
pub trait DescribeArg {
    /// What the argument contributes.
    fn arg_doc() -> ArgDoc;
}

impl<T: ToSchema> DescribeArg for Json<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body::<T>("application/json")
    }
}

impl<T: ToSchema> DescribeArg for Form<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body::<T>("application/x-www-form-urlencoded")
    }
}

impl<T: IntoParams> DescribeArg for Query<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::query::<T>()
    }
}

impl<T: IntoParams> DescribeArg for Path<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::path::<T>()
    }
}

/// A typed header (`web::Header<H>`): a required header parameter named `H::name()`, with
/// the usual capitalisation (`X-Api-Token`; header names are matched without case).
impl<H: actix_web::http::header::Header> DescribeArg for actix_web::web::Header<H> {
    fn arg_doc() -> ArgDoc {
        let name = H::name();
        let mut title = String::with_capacity(name.as_str().len());
        for (i, word) in name.as_str().split('-').enumerate() {
            if i > 0 {
                title.push('-');
            }
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                title.push(first.to_ascii_uppercase());
                title.push_str(chars.as_str());
            }
        }
        let header = utoipa::openapi::path::ParameterBuilder::new()
            .name(title)
            .parameter_in(ParameterIn::Header)
            .required(utoipa::openapi::Required::True)
            .schema(Some(String::schema()))
            .build();
        ArgDoc::none().parameters([header])
    }
}

impl DescribeArg for String {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body_schema("text/plain", String::schema())
    }
}

impl DescribeArg for Bytes {
    fn arg_doc() -> ArgDoc {
        let binary = utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .content_media_type("application/octet-stream")
            .build();
        ArgDoc::body_schema("application/octet-stream", binary)
    }
}

/// A `Path<(A, B, ..)>` tuple whose elements have schemas: one positional path parameter each.
pub trait PathTuple {
    /// The element schemas, in order.
    fn schemas() -> Vec<RefOr<Schema>>;
}

macro_rules! path_tuple {
    ($($t:ident),+) => {
        impl<$($t: PartialSchema),+> PathTuple for ($($t,)+) {
            fn schemas() -> Vec<RefOr<Schema>> {
                vec![$($t::schema()),+]
            }
        }
    };
}

path_tuple!(A);
path_tuple!(A, B);
path_tuple!(A, B, C);
path_tuple!(A, B, C, D);
path_tuple!(A, B, C, D, E);
path_tuple!(A, B, C, D, E, F);

impl ArgDoc {
    /// One positional path parameter per tuple element.
    pub(crate) fn path_tuple<T: PathTuple>() -> Self {
        T::schemas()
            .into_iter()
            .fold(Self::none(), Self::positional_path)
    }

    /// A single positional path parameter.
    pub(crate) fn path_single<T: PartialSchema>() -> Self {
        Self::none().positional_path(T::schema())
    }
}

/// A path parameter for a template name nothing else described: a required string.
pub(crate) fn path_param(name: &str, schema: RefOr<Schema>) -> Parameter {
    let mut param = Parameter::new(name);
    param.parameter_in = ParameterIn::Path;
    param.required = Required::True;
    param.schema = Some(schema);
    param
}
