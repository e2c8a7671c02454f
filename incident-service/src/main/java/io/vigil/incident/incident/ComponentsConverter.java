package io.vigil.incident.incident;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Component names are simple slugs (no commas), so a comma-separated column keeps the list without an extra table. */
@Converter
public class ComponentsConverter implements AttributeConverter<List<String>, String> {

    @Override
    public String convertToDatabaseColumn(List<String> components) {
        return components == null ? "" : String.join(",", components);
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        if (column == null || column.isBlank()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(Arrays.stream(column.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
