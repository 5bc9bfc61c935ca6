/** Plan files (YAML or JSON): reading, validating with precise messages, and writing them back. */
package dev.controlroom.plan;
