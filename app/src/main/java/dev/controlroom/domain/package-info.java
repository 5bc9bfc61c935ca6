/** The concepts of Control Room as immutable records and enums, and the pure logic on them (DAG, waves, transitions, scoring); no UI, storage or process code. */
package dev.controlroom.domain;
