/** The one decision thread: commands and due steps run here, each decision stored in one transaction, then announced. */
package dev.controlroom.orchestrator.loop;
