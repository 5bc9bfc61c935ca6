/**
 * Output extraction: turns the clean lines an agent CLI or command prints (its JSON stream, or plain
 * text) into normalised {@link dev.controlroom.agent.extract.AgentEvent}s, with error fingerprints and
 * secret redaction; pure text processing, no JavaFX, jOOQ or pty4j.
 */
package dev.controlroom.agent.extract;
