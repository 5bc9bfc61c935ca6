-- A sub-task an agent created while working its task: it joins that task's run, under that task.
ALTER TABLE tasks ADD COLUMN parent_task_id INTEGER REFERENCES tasks (id) ON DELETE SET NULL;
CREATE INDEX tasks_parent ON tasks (parent_task_id);
