package dev.argus.agent;

import org.junit.jupiter.api.Test;

import java.io.File;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JvmInfoTest {

    @Test
    void thePidFromProcSelfIsTheOneProcessHandleReports() {
        assumeTrue(new File("/proc/self/status").canRead(), "not Linux");
        assertThat(JvmInfo.procSelfPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(JvmInfo.pid()).isEqualTo(ProcessHandle.current().pid());
    }
}
