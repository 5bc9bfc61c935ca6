/**
 * The headless command line: subcommands for scripting and CI over the same services as the
 * window, never touching JavaFX or {@code ui}, so they run on a machine without a display.
 */
package dev.controlroom.cli;
