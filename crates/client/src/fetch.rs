//! wasm32 only: the small part of reqwest's interface that the typed calls use, on the browser's
//! own `fetch`. reqwest's wasm backend does the same through `http`, `url` (with its IDNA and
//! Unicode normalisation tables), `mime` and `bytes`; leaving them out of the SPA saves about
//! 40 KB of the compressed module. Native builds use reqwest itself (see `lib.rs`).

use std::fmt;

use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method(&'static str);

impl Method {
    pub const GET: Method = Method("GET");
    pub const POST: Method = Method("POST");
    pub const PUT: Method = Method("PUT");
    pub const PATCH: Method = Method("PATCH");
    pub const DELETE: Method = Method("DELETE");
}

/// An HTTP status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCode(u16);

impl StatusCode {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.0)
    }

    pub fn as_u16(&self) -> u16 {
        self.0
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why a request got no answer, in the browser's words.
#[derive(Debug)]
pub struct FetchError(String);

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

fn js_error(value: JsValue) -> FetchError {
    FetchError(
        value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| format!("{value:?}")),
    )
}

/// A response body, like reqwest's `Bytes` (which callers turn into a `Vec<u8>`).
#[derive(Debug)]
pub struct Bytes(Vec<u8>);

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Self {
        bytes.0
    }
}

/// A request body of bytes.
#[derive(Debug, Clone)]
pub struct Body(Vec<u8>);

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

/// Stands in for `reqwest::Client`: the browser keeps the connections (and the cookies).
#[derive(Debug, Clone, Default)]
pub struct Client;

impl Client {
    pub fn new() -> Self {
        Self
    }

    pub fn request(&self, method: Method, url: impl Into<String>) -> RequestBuilder {
        RequestBuilder {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            error: None,
        }
    }

    pub fn get(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::GET, url)
    }
}

#[derive(Debug)]
enum Payload {
    Bytes(Vec<u8>),
    Form(multipart::Form),
}

/// A request being put together; like reqwest's, a builder error surfaces at `send`.
#[derive(Debug)]
pub struct RequestBuilder {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Payload>,
    error: Option<String>,
}

impl RequestBuilder {
    /// Appends `query` (form-encoded, as reqwest does) to the URL.
    pub fn query<T: Serialize + ?Sized>(mut self, query: &T) -> Self {
        match serde_urlencoded::to_string(query) {
            Ok(q) if q.is_empty() => {}
            Ok(q) => {
                self.url
                    .push(if self.url.contains('?') { '&' } else { '?' });
                self.url.push_str(&q);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        self
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Payload::Bytes(bytes));
                self.header("content-type", "application/json")
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self
            }
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn bearer_auth(self, token: impl fmt::Display) -> Self {
        let value = format!("Bearer {token}");
        self.header("authorization", &value)
    }

    /// A multipart/form-data body (the browser writes the boundary).
    pub fn multipart(mut self, form: multipart::Form) -> Self {
        self.body = Some(Payload::Form(form));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(Payload::Bytes(body.0));
        self
    }

    pub async fn send(self) -> Result<Response, FetchError> {
        if let Some(error) = self.error {
            return Err(FetchError(error));
        }
        let init = web_sys::RequestInit::new();
        init.set_method(self.method.0);
        let headers = web_sys::Headers::new().map_err(js_error)?;
        for (name, value) in &self.headers {
            headers.append(name, value).map_err(js_error)?;
        }
        init.set_headers(&headers);
        match self.body {
            Some(Payload::Bytes(bytes)) => {
                init.set_body(&js_sys::Uint8Array::from(bytes.as_slice()));
            }
            Some(Payload::Form(form)) => init.set_body(form.into_form_data()?.as_ref()),
            None => {}
        }
        let request =
            web_sys::Request::new_with_str_and_init(&self.url, &init).map_err(js_error)?;
        let window =
            web_sys::window().ok_or_else(|| FetchError("no window (not in a browser)".into()))?;
        let response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(js_error)?;
        Ok(Response(response.dyn_into().map_err(js_error)?))
    }
}

/// An answer: status first, then the body.
#[derive(Debug)]
pub struct Response(web_sys::Response);

impl Response {
    pub fn status(&self) -> StatusCode {
        StatusCode(self.0.status())
    }

    pub async fn bytes(self) -> Result<Bytes, FetchError> {
        let buffer = JsFuture::from(self.0.array_buffer().map_err(js_error)?)
            .await
            .map_err(js_error)?;
        Ok(Bytes(js_sys::Uint8Array::new(&buffer).to_vec()))
    }

    pub async fn text(self) -> Result<String, FetchError> {
        let text = JsFuture::from(self.0.text().map_err(js_error)?)
            .await
            .map_err(js_error)?;
        Ok(text.as_string().unwrap_or_default())
    }
}

/// multipart/form-data bodies, as `FormData`.
pub mod multipart {
    use super::{FetchError, js_error};

    #[derive(Debug, Default)]
    pub struct Form {
        parts: Vec<(String, Part)>,
    }

    impl Form {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
            self.parts.push((name.into(), part));
            self
        }

        pub(super) fn into_form_data(self) -> Result<web_sys::FormData, FetchError> {
            let data = web_sys::FormData::new().map_err(js_error)?;
            for (name, part) in self.parts {
                let blob_parts =
                    js_sys::Array::of1(&js_sys::Uint8Array::from(part.bytes.as_slice()));
                let options = web_sys::BlobPropertyBag::new();
                if let Some(mime) = &part.mime {
                    options.set_type(mime);
                }
                let blob =
                    web_sys::Blob::new_with_u8_array_sequence_and_options(&blob_parts, &options)
                        .map_err(js_error)?;
                match &part.file_name {
                    Some(file_name) => data.append_with_blob_and_filename(&name, &blob, file_name),
                    None => data.append_with_blob(&name, &blob),
                }
                .map_err(js_error)?;
            }
            Ok(data)
        }
    }

    #[derive(Debug)]
    pub struct Part {
        bytes: Vec<u8>,
        file_name: Option<String>,
        mime: Option<String>,
    }

    impl Part {
        pub fn bytes(bytes: impl Into<Vec<u8>>) -> Self {
            Self {
                bytes: bytes.into(),
                file_name: None,
                mime: None,
            }
        }

        pub fn text(text: impl Into<String>) -> Self {
            Self {
                mime: Some("text/plain; charset=utf-8".into()),
                ..Self::bytes(text.into().into_bytes())
            }
        }

        pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
            self.file_name = Some(file_name.into());
            self
        }

        pub fn mime_str(mut self, mime: &str) -> Result<Self, FetchError> {
            self.mime = Some(mime.to_owned());
            Ok(self)
        }
    }
}
