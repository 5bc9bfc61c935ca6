/** Agent profiles and their CLIs: detection on PATH, the PTY session (the only pty4j user), output extraction and the watchdog. */
package dev.controlroom.agent;
