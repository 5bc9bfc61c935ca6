/**
 * What several panes share without importing each other: a task row, its status style, the
 * selected task's run controls, the pane loader contract, the drag format and the FXML views.
 */
package dev.controlroom.ui.common;
