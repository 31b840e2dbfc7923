import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `--format temporal-history`: the event history Temporal itself would record for the run, in
/// the JSON that `temporal workflow show --output json` prints: `{"events": [...]}` with string
/// `eventId`s, `EVENT_TYPE_*` names and one attributes object per event type. Workflow tasks are
/// included; of each activity only its last attempt is written (a retried attempt leaves no event,
/// as in Temporal); `eventTime` is the fixed start instant plus virtual time.
enum TemporalHistoryExport {
    /// The history of one played scenario.
    static func render(_ result: ScenarioResult) -> String {
        var builder = Builder(scenario: result.scenario)
        builder.build(result.transitions)
        return HistoryExport.text(.object([("events", .array(builder.events))]))
    }

    /// The activity being executed: its scheduled event, the last attempt and its last failure.
    struct Activity {
        let step: String
        let scheduledID: Int
        var attempt = 0
        var startedAt = Instant.zero
        var worker = ""
        var lastFailure: JSONValue?
    }

    struct Builder {
        let scenario: Scenario
        var events: [JSONValue] = []
        var random: SeededRandom
        var activity: Activity?
        /// A workflow task scheduled at this instant that has not run yet.
        var pendingTask: Instant?
        /// The sticky queue's schedule-to-start timeout, if the pending task met one.
        var stickyMiss: (time: Instant, worker: String)?
        var stickyWorker: String?
        var lastTaskCompleted = 0
        var activitiesScheduled = 0
        /// The next step starts a new activity (after the reconnect signal).
        var newActivity = false
        let queue = "revive-lab"

        init(scenario: Scenario) {
            self.scenario = scenario
            random = SeededRandom(seed: scenario.seed ^ 0x7E4D_0A11_5EED)
        }

        mutating func build(_ ts: [Transition]) {
            for t in ts { take(t) }
            if pendingTask != nil { flushTask(at: ts.last?.time ?? .zero, worker: stickyWorker ?? "") }
        }

        /// One timeline line: what, if anything, Temporal writes for it.
        mutating func take(_ t: Transition) {
            let worker = identity(t.worker ?? "")
            switch t.name {
            case .runStarted:
                workflowStarted(t)
                pendingTask = t.time
                flushTask(at: t.time, worker: worker, normal: true)
            case .stepStarted:
                stepStarted(t, worker: worker)
            case .providerFailed:
                let last = failure("\(note(t, "status") ?? "") \(note(t, "error") ?? "")", type: note(t, "error") ?? "provider_error")
                activity?.lastFailure = last
            case .workerLost where activity != nil:
                let last = timeoutFailure(t.reason)
                activity?.lastFailure = last
            case .stepCompleted:
                closeActivity(at: t.time, failed: nil)
            case .runParked:
                closeActivity(at: t.time, failed: (failure(t.failureClass?.rawValue ?? "parked", type: t.failureClass?.rawValue ?? "dead_grant", nonRetryable: true),
                                                   "RETRY_STATE_NON_RETRYABLE_FAILURE"))
                flushTask(at: t.time, worker: stickyWorker ?? worker)
            case .reconnectVerified, .caseResolved:
                add("EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED", t.time, [("signalName", .string("reconnected")), ("identity", .string("revive"))])
                pendingTask = t.time
                newActivity = true
            case .runRescheduled where t.reason == "sticky-queue-timeout":
                stickyMiss = (t.time, worker)
            case .runResumed:
                flushTask(at: t.time, worker: worker)
            case .runFailed:
                closeActivity(at: t.time, failed: (failure(t.reason ?? "failed", type: t.failureClass?.rawValue ?? "failed"), "RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED"))
                flushTask(at: t.time, worker: stickyWorker ?? worker)
                add("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED", t.time, [("failure", failure(t.reason ?? "failed", type: "ActivityError")),
                    ("retryState", .string("RETRY_STATE_RETRY_POLICY_NOT_SET")), ("workflowTaskCompletedEventId", id(lastTaskCompleted))])
            case .runCompleted:
                flushTask(at: t.time, worker: stickyWorker ?? worker)
                add("EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED", t.time, [("workflowTaskCompletedEventId", id(lastTaskCompleted))])
            default:
                break
            }
        }

        mutating func workflowStarted(_ t: Transition) {
            let runID = HistoryExport.uuid(&random)
            add("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED", t.time, [
                ("workflowType", .object([("name", .string(scenario.workflow.name.isEmpty ? scenario.workflow.run.rawValue : scenario.workflow.name))])),
                ("taskQueue", taskQueue(sticky: nil)), ("workflowTaskTimeout", .string("10s")),
                ("originalExecutionRunId", .string(runID)), ("identity", .string("revive-lab")),
                ("firstExecutionRunId", .string(runID)), ("attempt", .integer(1)),
                ("firstWorkflowTaskBackoff", .string("0s")), ("workflowId", .string(t.run ?? scenario.workflow.run.rawValue)),
            ])
        }

        /// An attempt begins: a new activity is scheduled for a new step or after the signal; a
        /// retry of the same activity writes nothing yet.
        mutating func stepStarted(_ t: Transition, worker: String) {
            guard let step = t.step else { return }
            if activity == nil || activity?.step != step || newActivity {
                if pendingTask != nil { flushTask(at: t.time, worker: stickyMiss?.worker ?? stickyWorker ?? worker) }
                activitiesScheduled += 1
                let scheduled = add("EVENT_TYPE_ACTIVITY_TASK_SCHEDULED", t.time, scheduledAttributes(step))
                activity = Activity(step: step, scheduledID: scheduled)
                newActivity = false
            }
            let number = note(t, "runtime-attempt").flatMap { Int($0) } ?? ((activity?.attempt ?? 0) + 1)
            activity?.attempt = number
            activity?.startedAt = t.time
            activity?.worker = worker
        }

        /// The activity's last attempt ends: its started event (written now, timed at its start)
        /// and its completion or failure; a workflow task follows.
        mutating func closeActivity(at time: Instant, failed: (JSONValue, String)?) {
            guard let current = activity else { return }
            var started: [(String, JSONValue)] = [("scheduledEventId", id(current.scheduledID)), ("identity", .string(current.worker)),
                                                 ("requestId", .string(HistoryExport.uuid(&random))), ("attempt", .integer(Int64(current.attempt)))]
            if current.attempt > 1, let last = current.lastFailure { started.append(("lastFailure", last)) }
            let startedID = add("EVENT_TYPE_ACTIVITY_TASK_STARTED", current.startedAt, started)
            let ids: [(String, JSONValue)] = [("scheduledEventId", id(current.scheduledID)), ("startedEventId", id(startedID)), ("identity", .string(current.worker))]
            if let (failure, retryState) = failed {
                add("EVENT_TYPE_ACTIVITY_TASK_FAILED", time, [("failure", failure)] + ids + [("retryState", .string(retryState))])
            } else {
                add("EVENT_TYPE_ACTIVITY_TASK_COMPLETED", time, ids)
            }
            activity = nil
            pendingTask = time
        }

        /// Writes the pending workflow task: scheduled (on the sticky queue once there is a sticky
        /// worker), timed out there if the sticky worker was dead, then started and completed.
        mutating func flushTask(at time: Instant, worker: String, normal: Bool = false) {
            guard let scheduledAt = pendingTask else { return }
            pendingTask = nil
            var scheduled = add("EVENT_TYPE_WORKFLOW_TASK_SCHEDULED", scheduledAt, taskScheduled(sticky: normal ? nil : stickyWorker))
            var runner = stickyWorker ?? worker
            if let miss = stickyMiss {
                stickyMiss = nil
                add("EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT", miss.time, [("scheduledEventId", id(scheduled)), ("timeoutType", .string("TIMEOUT_TYPE_SCHEDULE_TO_START"))])
                scheduled = add("EVENT_TYPE_WORKFLOW_TASK_SCHEDULED", miss.time, taskScheduled(sticky: nil))
                runner = miss.worker
            }
            let at = max(scheduledAt, time)
            let started = add("EVENT_TYPE_WORKFLOW_TASK_STARTED", at, [("scheduledEventId", id(scheduled)), ("identity", .string(runner)),
                                                                       ("requestId", .string(HistoryExport.uuid(&random)))])
            lastTaskCompleted = add("EVENT_TYPE_WORKFLOW_TASK_COMPLETED", at, [("scheduledEventId", id(scheduled)), ("startedEventId", id(started)),
                                                                               ("identity", .string(runner))])
            stickyWorker = runner
        }

        @discardableResult
        mutating func add(_ type: String, _ time: Instant, _ attributes: [(String, JSONValue)]) -> Int {
            let eventID = events.count + 1
            events.append(.object([("eventId", id(eventID)), ("eventTime", .string(HistoryExport.temporalTime(time))),
                                   ("eventType", .string(type)), ("taskId", .string(String(1_048_576 + eventID))),
                                   (TemporalHistoryExport.attributesKey(type), .object(attributes.map { (key: $0.0, value: $0.1) }))]))
            return eventID
        }
    }

    /// `EVENT_TYPE_ACTIVITY_TASK_STARTED` → `activityTaskStartedEventAttributes`.
    static func attributesKey(_ type: String) -> String {
        let words = type.dropFirst("EVENT_TYPE_".count).split(separator: "_").map { $0.lowercased() }
        return (words.first ?? "") + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "EventAttributes"
    }
}
