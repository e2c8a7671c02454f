package io.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class RoleHierarchyTest {

    @Test
    void adminIncludesOperatorAndViewer() {
        assertEquals(Set.of("admin", "operator", "viewer"), RoleHierarchy.effective(Set.of("admin")));
    }

    @Test
    void operatorIncludesViewerButNotAdmin() {
        assertEquals(Set.of("operator", "viewer"), RoleHierarchy.effective(Set.of("operator")));
    }

    @Test
    void commanderIncludesOperatorAndViewerButNotAdmin() {
        assertEquals(Set.of("commander", "operator", "viewer"), RoleHierarchy.effective(Set.of("commander")));
    }

    @Test
    void neitherAdminNorOperatorIncludesCommander() {
        assertEquals(false, RoleHierarchy.effective(Set.of("admin")).contains("commander"));
        assertEquals(false, RoleHierarchy.effective(Set.of("operator")).contains("commander"));
    }

    @Test
    void viewerIsOnlyViewer() {
        assertEquals(Set.of("viewer"), RoleHierarchy.effective(Set.of("viewer")));
    }

    @Test
    void producerIncludesNothingElse() {
        assertEquals(Set.of("producer"), RoleHierarchy.effective(Set.of("producer")));
    }

    @Test
    void unknownRoleGrantsOnlyItself() {
        assertEquals(Set.of("superuser"), RoleHierarchy.effective(Set.of("superuser")));
    }

    @Test
    void noRoleGrantsNothing() {
        assertEquals(Set.of(), RoleHierarchy.effective(Set.of()));
    }
}
