/** The command palette (Ctrl+K): one registry of the window's commands, their keyboard shortcuts, and the list of shortcuts (F1). */
package dev.controlroom.ui.palette;
