-- The watchdog's settings of a task list and of a task ({"silence_ms": 120000, "on_stuck": "restart",
-- "on_repeated_error": "handoff"}; NULL: nothing set at that level), and the class of a task's last
-- failure (auth, rate_limit, overloaded, bad_request, stuck, verify, agent, cancelled, blocked), so
-- failures can be counted by what an operator can do about them.
ALTER TABLE plans ADD COLUMN watchdog_json TEXT;
ALTER TABLE tasks ADD COLUMN watchdog_json TEXT;
ALTER TABLE run_tasks ADD COLUMN failure_class TEXT;
