//! Sans-IO coroutines: scheduler logic is written as ordinary Rust `async`
//! code whose only await points are *requests* to the host (call the
//! executor, allocate a workspace, run `onEvent`, …). The host (the JS
//! driver in `lib/runtime/scheduler.js`, or a test) resumes the coroutine
//! with the response. Nothing runs on another thread; a coroutine is polled
//! with a no-op waker and is pending exactly while a request is out.
//!
//! Requests marked `sync` must be answered without yielding to the event
//! loop, which keeps 1.4.0's synchronous callbacks synchronous.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde_json::{json, Value};

/// What the host answered: a value, or the JS exception it caught
/// (`token` lets the host rethrow the original object; `message` is
/// `String(error)`).
#[derive(Clone, Debug)]
pub enum Response {
    Ok(Value),
    Throw { token: Value, message: String },
}

/// An exception travelling up through the coroutine, as in JS.
#[derive(Clone, Debug)]
pub struct Thrown {
    pub token: Value,
    pub message: String,
}

impl Thrown {
    /// An error raised by the core itself (e.g. the event log could not be
    /// written), surfaced to JS with a code.
    pub fn internal(code: &str, message: String) -> Thrown {
        Thrown {
            token: json!({ "code": code }),
            message,
        }
    }
}

#[derive(Default)]
struct Slot {
    request: Option<Value>,
    response: Option<Response>,
}

/// The coroutine's side of the channel.
#[derive(Clone, Default)]
pub struct Host {
    slot: Rc<RefCell<Slot>>,
}

impl Host {
    /// Ask the host to do something and wait for its answer.
    pub fn call(&self, request: Value) -> Call {
        Call {
            slot: Rc::clone(&self.slot),
            request: Some(request),
        }
    }

    /// `call`, turning a thrown response into `Err`.
    pub async fn ask(&self, request: Value) -> Result<Value, Thrown> {
        match self.call(request).await {
            Response::Ok(v) => Ok(v),
            Response::Throw { token, message } => Err(Thrown { token, message }),
        }
    }
}

pub struct Call {
    slot: Rc<RefCell<Slot>>,
    request: Option<Value>,
}

impl Future for Call {
    type Output = Response;
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Response> {
        if let Some(req) = self.request.take() {
            self.slot.borrow_mut().request = Some(req);
            return Poll::Pending;
        }
        match self.slot.borrow_mut().response.take() {
            Some(r) => Poll::Ready(r),
            None => Poll::Pending,
        }
    }
}

type Body = Pin<Box<dyn Future<Output = Result<Value, Thrown>>>>;

/// One suspended computation.
pub struct Coroutine {
    host: Host,
    body: Option<Body>,
}

/// What a coroutine did when resumed.
#[derive(Debug)]
pub enum Step {
    /// It needs the host to answer this request.
    Request(Value),
    /// It finished.
    Done(Result<Value, Thrown>),
}

impl Coroutine {
    pub fn new<F, Fut>(make: F) -> Coroutine
    where
        F: FnOnce(Host) -> Fut,
        Fut: Future<Output = Result<Value, Thrown>> + 'static,
    {
        let host = Host::default();
        let body: Body = Box::pin(make(host.clone()));
        Coroutine {
            host,
            body: Some(body),
        }
    }

    /// Resume with the answer to the last request (`None` the first time).
    pub fn resume(&mut self, response: Option<Response>) -> Step {
        let Some(body) = self.body.as_mut() else {
            return Step::Done(Err(Thrown::internal(
                "OXE_E_STATE",
                "coroutine resumed after it finished".into(),
            )));
        };
        if let Some(r) = response {
            self.host.slot.borrow_mut().response = Some(r);
        }
        let mut cx = Context::from_waker(Waker::noop());
        match body.as_mut().poll(&mut cx) {
            Poll::Ready(out) => {
                self.body = None;
                Step::Done(out)
            }
            Poll::Pending => match self.host.slot.borrow_mut().request.take() {
                Some(req) => Step::Request(req),
                None => {
                    self.body = None;
                    Step::Done(Err(Thrown::internal(
                        "OXE_E_STATE",
                        "coroutine is waiting without a request".into(),
                    )))
                }
            },
        }
    }

    pub fn is_done(&self) -> bool {
        self.body.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_responses_flow() {
        let mut co = Coroutine::new(|host| async move {
            let a = host.ask(json!({"op": "a"})).await?;
            let b = host.ask(json!({"op": "b"})).await;
            Ok(json!([a, b.is_err()]))
        });
        let Step::Request(r) = co.resume(None) else {
            panic!()
        };
        assert_eq!(r["op"], "a");
        let Step::Request(r) = co.resume(Some(Response::Ok(json!(1)))) else {
            panic!()
        };
        assert_eq!(r["op"], "b");
        let step = co.resume(Some(Response::Throw {
            token: json!(7),
            message: "Error: x".into(),
        }));
        match step {
            Step::Done(Ok(v)) => assert_eq!(v, json!([1, true])),
            other => panic!("{other:?}"),
        }
        assert!(co.is_done());
        assert!(matches!(co.resume(None), Step::Done(Err(_))));
    }
}
