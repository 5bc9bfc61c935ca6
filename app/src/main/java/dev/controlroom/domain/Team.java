package dev.controlroom.domain;

/** A named group of agents. */
public record Team(long id, String name, String description) {
}
