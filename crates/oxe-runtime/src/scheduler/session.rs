//! A scheduler session: one `run` or `recover` call and the coroutines it
//! spawns (the run itself plus one per node being executed).

use serde_json::{Map, Value};

use super::coroutine::{Coroutine, Response, Step};
use super::node::run_node;
use super::run::{prepare_recovery, run, Mode};
use super::state::{parse_graph, RunConfig, RunShared, Shared};
use crate::error::OxeResult;

pub struct SchedulerSession {
    shared: Shared,
    coroutines: Vec<Option<Coroutine>>,
}

impl SchedulerSession {
    /// Parse and check the graph (`OXE_E_GRAPH` for unknown dependencies,
    /// cycles, waves naming unknown nodes).
    pub fn new(cfg: RunConfig, graph: &Value) -> OxeResult<SchedulerSession> {
        let (nodes, waves) = parse_graph(graph, cfg.allow_external_deps)?;
        Ok(SchedulerSession {
            shared: RunShared::new(cfg, nodes, waves),
            coroutines: Vec::new(),
        })
    }

    fn add(&mut self, co: Coroutine) -> u32 {
        self.coroutines.push(Some(co));
        (self.coroutines.len() - 1) as u32
    }

    /// Start `run`; returns the coroutine handle.
    pub fn start_run(&mut self) -> u32 {
        let sh = self.shared.clone();
        self.add(Coroutine::new(move |host| run(sh, host, Mode::Run)))
    }

    /// Start `recover`; `None` when the journal is missing or not
    /// recoverable (the caller resolves `null`).
    pub fn start_recover(&mut self) -> OxeResult<Option<u32>> {
        match prepare_recovery(&self.shared) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(t) => return Err(crate::OxeError::Arg(t.message)),
        }
        let sh = self.shared.clone();
        Ok(Some(self.add(Coroutine::new(move |host| {
            run(sh, host, Mode::Recover)
        }))))
    }

    /// Start the coroutine of one node (requested by `runNodes`).
    pub fn spawn_node(&mut self, id: String) -> u32 {
        let sh = self.shared.clone();
        self.add(Coroutine::new(move |host| run_node(sh, host, id)))
    }

    /// Resume a coroutine with the answer to its last request.
    pub fn resume(&mut self, handle: u32, response: Option<Response>) -> Step {
        let slot = self.coroutines.get_mut(handle as usize);
        let Some(Some(co)) = slot else {
            return Step::Done(Err(super::coroutine::Thrown::internal(
                "OXE_E_STATE",
                format!("no scheduler coroutine {handle}"),
            )));
        };
        let step = co.resume(response);
        if co.is_done() {
            if let Some(s) = self.coroutines.get_mut(handle as usize) {
                *s = None;
            }
        }
        step
    }

    pub fn pause(&self) -> OxeResult<()> {
        self.shared.borrow_mut().pause()
    }

    pub fn resume_run(&self) -> OxeResult<()> {
        self.shared.borrow_mut().resume()
    }

    pub fn cancel(&self) -> OxeResult<()> {
        self.shared.borrow_mut().cancel()
    }

    pub fn journal(&self) -> Option<Map<String, Value>> {
        self.shared.borrow().journal.clone()
    }
}
