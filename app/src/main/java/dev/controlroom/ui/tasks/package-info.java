/** The tasks pane: the selected list's tasks as a filtered table or a board of columns, the task editor, plan import and export. */
package dev.controlroom.ui.tasks;
