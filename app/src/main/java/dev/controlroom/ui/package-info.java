/**
 * The desktop window's composition: it builds every pane's view model and controller from the
 * services it is given, and owns the refresh beat; panes never reach back into it.
 */
package dev.controlroom.ui;
