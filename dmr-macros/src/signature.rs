//! An impl block parsed down to function signatures: bodies stay opaque token streams, so a
//! half-typed body never breaks the macro (and parsing stays cheap).

use proc_macro2::TokenStream;
use quote::{ToTokens, TokenStreamExt};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Generics, ImplItem, Signature, Token, Type, Visibility, braced};

/// `impl Type { items }`, with its functions kept as signature + raw body.
pub struct ImplBlock {
    pub attrs: Vec<Attribute>,
    pub impl_token: Token![impl],
    pub generics: Generics,
    pub trait_: Option<(Option<Token![!]>, syn::Path, Token![for])>,
    pub self_ty: Box<Type>,
    pub brace: syn::token::Brace,
    pub inner_attrs: Vec<Attribute>,
    pub items: Vec<ImplEntry>,
}

// A handful of these exist per expansion, so their size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum ImplEntry {
    Fn(FnItem),
    Other(ImplItem),
}

/// A function whose body was not parsed.
pub struct FnItem {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: TokenStream,
}

impl Parse for ImplBlock {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let impl_token = input.parse()?;
        let mut generics: Generics = input.parse()?;
        let trait_ = if input.peek(Token![!])
            || (input.fork().parse::<syn::Path>().is_ok() && {
                let f = input.fork();
                let _: syn::Path = f.parse()?;
                f.peek(Token![for])
            }) {
            Some((input.parse()?, input.parse()?, input.parse()?))
        } else {
            None
        };
        let self_ty = input.parse()?;
        generics.where_clause = input.parse()?;
        let content;
        let brace = braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(content.parse()?);
        }
        Ok(Self {
            attrs,
            impl_token,
            generics,
            trait_,
            self_ty,
            brace,
            inner_attrs,
            items,
        })
    }
}

impl Parse for ImplEntry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let fork = input.fork();
        let attrs = fork.call(Attribute::parse_outer)?;
        let vis: Visibility = fork.parse()?;
        let fn_like = fork.peek(Token![fn])
            || fork.peek(Token![async])
            || fork.peek(Token![unsafe])
            || fork.peek(Token![extern])
            || (fork.peek(Token![const]) && (fork.peek2(Token![fn]) || fork.peek2(Token![async])));
        if !fn_like {
            return input.parse().map(ImplEntry::Other);
        }
        let sig: Signature = fork.parse()?;
        if !fork.peek(syn::token::Brace) {
            return input.parse().map(ImplEntry::Other);
        }
        let body: proc_macro2::TokenTree = fork.parse()?;
        use syn::parse::discouraged::Speculative;
        input.advance_to(&fork);
        Ok(ImplEntry::Fn(FnItem {
            attrs,
            vis,
            sig,
            body: body.into_token_stream(),
        }))
    }
}

impl Parse for FnItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        match input.parse()? {
            ImplEntry::Fn(f) => Ok(f),
            ImplEntry::Other(_) => Err(input.error("expected a function")),
        }
    }
}

impl ToTokens for FnItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

impl ToTokens for ImplEntry {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            ImplEntry::Fn(f) => f.to_tokens(tokens),
            ImplEntry::Other(i) => i.to_tokens(tokens),
        }
    }
}

impl ToTokens for ImplBlock {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.impl_token.to_tokens(tokens);
        self.generics.to_tokens(tokens);
        if let Some((bang, path, for_)) = &self.trait_ {
            bang.to_tokens(tokens);
            path.to_tokens(tokens);
            for_.to_tokens(tokens);
        }
        self.self_ty.to_tokens(tokens);
        self.generics.where_clause.to_tokens(tokens);
        self.brace.surround(tokens, |tokens| {
            tokens.append_all(&self.inner_attrs);
            tokens.append_all(&self.items);
        });
    }
}

/// The last path segment of a path type (`Authed` in `dmr::Authed<Claims>`).
pub fn last_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        Type::Group(g) => last_ident(&g.elem),
        Type::Paren(p) => last_ident(&p.elem),
        _ => None,
    }
}
