//! The 21 event types of 1.4.0, in catalog order. There is no
//! `WorkItemFailed`: a failed node is reported as `WorkItemBlocked`.

pub const EVENT_TYPES: [&str; 21] = [
    "SessionCreated",
    "RunStarted",
    "GraphCompiled",
    "WorkItemReady",
    "WorkspaceAllocated",
    "AttemptStarted",
    "ToolInvoked",
    "ToolCompleted",
    "ToolFailed",
    "EvidenceCollected",
    "PolicyEvaluated",
    "GateRequested",
    "GateResolved",
    "VerificationStarted",
    "VerificationCompleted",
    "RetryScheduled",
    "WorkItemCompleted",
    "WorkItemBlocked",
    "RunCompleted",
    "RetroPublished",
    "LessonPromoted",
];

pub fn is_valid_event_type(t: &str) -> bool {
    EVENT_TYPES.contains(&t)
}

/// Events after which the log is fsynced in `normal` durability.
pub fn is_run_boundary(t: &str) -> bool {
    matches!(t, "RunStarted" | "RunCompleted")
}

#[cfg(test)]
mod tests {
    #[test]
    fn membership() {
        assert!(super::is_valid_event_type("GateResolved"));
        assert!(!super::is_valid_event_type("WorkItemFailed"));
        assert!(!super::is_valid_event_type("runstarted"));
        assert_eq!(super::EVENT_TYPES.len(), 21);
    }
}
