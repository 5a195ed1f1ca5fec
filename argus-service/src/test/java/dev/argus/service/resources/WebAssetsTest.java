package dev.argus.service.resources;

import dev.argus.service.http.RouteTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebAssetsTest {

    /** Requests for paths that are not assets hold no memory: the set of files is fixed at start. */
    @Test
    void unknownAssetPathsCacheNothing() {
        WebAssets web = WebAssets.of(Map.of("/index.html", "<!doctype html>".getBytes(StandardCharsets.UTF_8),
                "/js/app.js", "export {}".getBytes(StandardCharsets.UTF_8)));
        RouteTable table = web.addRoutes(RouteTable.builder()).build();
        int endpoints = table.endpoints().size();
        for (int i = 0; i < 100_000; i++) {
            assertThat(table.find("GET", "/js/x" + i + ".js")).isInstanceOf(RouteTable.NotFound.class);
        }
        assertThat(web.size()).isEqualTo(2);
        assertThat(table.endpoints()).hasSize(endpoints).hasSize(3);
        assertThat(table.find("GET", "/")).isInstanceOf(RouteTable.Found.class);
        assertThat(table.find("HEAD", "/js/app.js")).isInstanceOf(RouteTable.Found.class);
    }

    @Test
    void loadsTheDashboardFromTheClassPath() {
        WebAssets web = WebAssets.load("assets");
        assertThat(web.size()).isGreaterThanOrEqualTo(5);
        RouteTable table = web.addRoutes(RouteTable.builder()).build();
        assertThat(table.find("GET", "/index.html")).isInstanceOf(RouteTable.Found.class);
        assertThat(table.find("GET", "/js/filters.js")).isInstanceOf(RouteTable.Found.class);
    }
}
