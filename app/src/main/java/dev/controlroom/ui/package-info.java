/** The desktop window: one sub-package per pane (controller + view model); the only user of javafx.scene. */
package dev.controlroom.ui;
