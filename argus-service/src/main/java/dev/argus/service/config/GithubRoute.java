package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One routing rule of {@code github.routes} (SPEC §14): deliveries from {@code repository}
 * ({@code owner/name} or {@code owner/*}), optionally only those on {@code branch}, go to {@code task_id}.
 */
public class GithubRoute {
    @NotEmpty
    @Pattern(regexp = "[^/\\s]+/[^/\\s]+", message = "must be owner/name or owner/*")
    private String repository;

    @Size(min = 1, max = 255)
    private String branch;

    @NotEmpty
    @Size(max = 64)
    private String taskId;

    public GithubRoute() {
    }

    public GithubRoute(String repository, String branch, String taskId) {
        this.repository = repository;
        this.branch = branch;
        this.taskId = taskId;
    }

    /** {@code owner/name} (case-insensitive, as GitHub compares them) or {@code owner/*} for every repository of an owner. */
    @JsonProperty
    public String getRepository() {
        return repository;
    }

    @JsonProperty
    public void setRepository(String repository) {
        this.repository = repository;
    }

    /** Only deliveries on this branch (exact, case-sensitive); absent = any branch or none. */
    @JsonProperty
    public String getBranch() {
        return branch;
    }

    @JsonProperty
    public void setBranch(String branch) {
        this.branch = branch;
    }

    /** The task that matching deliveries are attached to. */
    @JsonProperty("task_id")
    public String getTaskId() {
        return taskId;
    }

    @JsonProperty("task_id")
    @JsonAlias("taskId")
    public void setTaskId(String taskId) {
        this.taskId = taskId;
    }

    /** Whether a delivery from {@code fullName} (owner/name) on {@code deliveryBranch} (null when none) matches. */
    public boolean matches(String fullName, String deliveryBranch) {
        if (fullName == null || repository == null) {
            return false;
        }
        int slash = repository.indexOf('/');
        int theirs = fullName.indexOf('/');
        if (slash < 0 || theirs < 0) {
            return false;
        }
        boolean repoMatches;
        if (repository.substring(slash + 1).equals("*")) {
            repoMatches = repository.substring(0, slash).equalsIgnoreCase(fullName.substring(0, theirs));
        } else {
            repoMatches = repository.equalsIgnoreCase(fullName);
        }
        return repoMatches && (branch == null || branch.equals(deliveryBranch));
    }

    @Override
    public String toString() {
        return "GithubRoute{repository=" + repository + ", branch=" + branch + ", task_id=" + taskId + "}";
    }
}
