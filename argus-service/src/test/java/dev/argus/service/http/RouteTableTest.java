package dev.argus.service.http;

import org.junit.jupiter.api.Test;

import static dev.argus.service.http.Handler.CONTAINER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
    private static final Handler H = (req, resp) -> {
    };

    private static final RouteTable TABLE = RouteTable.builder()
            .post("/events", Access.INGEST, H)
            .get("/events", Access.READ, CONTAINER)
            .get("/events/{id}", Access.READ, CONTAINER)
            .sse("/events/stream", CONTAINER)
            // the routes of later features are one line each
            .get("/api/**", Access.READ, CONTAINER)
            .post("/api/**", Access.INGEST, CONTAINER)
            .patch("/api/**", Access.INGEST, CONTAINER)
            .post("/hooks/github", Access.HANDLER, CONTAINER)
            .get("/health", Access.PUBLIC, H)
            .build();

    private static RouteTable.Endpoint found(String method, String path) {
        RouteTable.Lookup l = TABLE.find(method, path);
        assertThat(l).as(method + " " + path).isInstanceOf(RouteTable.Found.class);
        return ((RouteTable.Found) l).endpoint();
    }

    @Test
    void literalPathsWinOverPatterns() {
        assertThat(found("GET", "/events/stream").keyInQuery()).isTrue();
        assertThat(found("GET", "/events/17").pattern()).isEqualTo("/events/{id}");
        assertThat(found("GET", "/events/17").keyInQuery()).isFalse();
        assertThat(found("POST", "/events").access()).isEqualTo(Access.INGEST);
        assertThat(found("GET", "/events").access()).isEqualTo(Access.READ);
    }

    @Test
    void matchingIsExact() {
        for (String path : new String[] {"/events/", "/Events", "/events/1/x", "/events//", "/healthz", "/health/", "/"}) {
            assertThat(TABLE.find("GET", path)).as(path).isInstanceOf(RouteTable.NotFound.class);
        }
        assertThat(found("GET", "/api/tasks").pattern()).isEqualTo("/api/**");
        assertThat(found("GET", "/api").pattern()).as("** also matches nothing").isEqualTo("/api/**");
        assertThat(found("PATCH", "/api/tasks/7").access()).isEqualTo(Access.INGEST);
    }

    @Test
    void headIsServedWhereGetIsAndOtherMethodsListWhatIsAllowed() {
        assertThat(found("HEAD", "/events").method()).isEqualTo("GET");
        RouteTable.Lookup put = TABLE.find("PUT", "/events");
        assertThat(put).isInstanceOf(RouteTable.WrongMethod.class);
        assertThat(((RouteTable.WrongMethod) put).allowed()).containsExactly("GET", "HEAD", "POST");
        assertThat(((RouteTable.WrongMethod) put).publicPath()).isFalse();
        assertThat(((RouteTable.WrongMethod) TABLE.find("POST", "/health")).publicPath()).isTrue();
        assertThat(TABLE.find("get", "/events")).as("methods are case-sensitive").isInstanceOf(RouteTable.WrongMethod.class);
    }

    @Test
    void refusesDuplicateAndMalformedRoutes() {
        assertThatThrownBy(() -> RouteTable.builder().get("/a", Access.READ, H).get("/a", Access.PUBLIC, H))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> RouteTable.builder().get("a", Access.READ, H)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> RouteTable.builder().get("/a/**/b", Access.READ, H)).hasMessageContaining("end");
    }
}
