package io.vigil.features.health;

/**
 * One ingested value as feature health sees it.
 *
 * @param attributes segment attribute values, indexed like {@link Segment#ATTRIBUTES}; null where unknown
 * @param flags {@link #NULL}, {@link #DEFAULT}, {@link #OUT_OF_RANGE}, {@link #STALE}, {@link #HAS_VALUE}
 * @param value the value for distribution drift: the number, or the level index of a categorical feature
 */
public record Observation(String[] attributes, int flags, double value) {

    public static final int NULL = 1;
    public static final int DEFAULT = 2;
    public static final int OUT_OF_RANGE = 4;
    public static final int STALE = 8;
    public static final int HAS_VALUE = 16;

    public boolean is(int flag) {
        return (flags & flag) != 0;
    }

    public boolean in(Segment s) {
        if (s.all()) {
            return true;
        }
        int i = Segment.ATTRIBUTES.indexOf(s.attribute());
        return i >= 0 && s.value().equals(attributes[i]);
    }
}
