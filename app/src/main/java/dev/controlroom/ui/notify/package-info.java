/** Desktop notifications for what a person must hear about even when looking elsewhere: runs done, failures, stuck agents, questions. */
package dev.controlroom.ui.notify;
