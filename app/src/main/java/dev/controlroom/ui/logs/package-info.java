/**
 * The log pane: agent sessions open as terminal tabs, replaying their stored output and then
 * following it live, one or two side by side, with an agent's JSON stream shown as a readable transcript.
 */
package dev.controlroom.ui.logs;
