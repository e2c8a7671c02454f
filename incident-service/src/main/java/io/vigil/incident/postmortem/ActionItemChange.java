package io.vigil.incident.postmortem;

import java.time.LocalDate;

/**
 * An edit of an action item, already validated: each field null when it stays as it is. The kind and the description
 * are what the item is, so they are not editable; a different action is a new item.
 */
public record ActionItemChange(String owner, LocalDate dueDate, ActionItemStatus status, String verification) {

    public boolean isEmpty() {
        return owner == null && dueDate == null && status == null && verification == null;
    }
}
