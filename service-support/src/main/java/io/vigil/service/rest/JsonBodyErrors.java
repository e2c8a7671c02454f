package io.vigil.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * What a problem body says about a request body Jackson could not read: the field it failed at (a JSON path such as
 * {@code steps[2].share}, or {@code body} when it failed before any field: not JSON, too deeply nested, too long) and
 * a short reason without the exception's class or the parser's source excerpt.
 */
public final class JsonBodyErrors {

    private static final int MAX_DETAIL = 200;

    private JsonBodyErrors() {
    }

    public static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            if (path.length() > 0) {
                return path.toString();
            }
        }
        return "body";
    }

    public static String detail(JsonProcessingException e) {
        String why = e.getOriginalMessage();
        why = why == null ? "" : why.length() > MAX_DETAIL ? why.substring(0, MAX_DETAIL) + "..." : why;
        return "request body is not valid JSON for this resource: " + why;
    }
}
