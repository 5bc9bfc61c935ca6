/** The inspector's Task tab: the selected task's definition, attempts and QA evidence, with buttons bound to its run controls. */
package dev.controlroom.ui.detail;
