/** The headless command line: subcommands for scripting and CI, over the same services as the window. */
package dev.controlroom.cli;
