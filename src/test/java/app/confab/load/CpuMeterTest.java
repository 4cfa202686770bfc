package app.confab.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** --server-pid with one pid per node: their CPU seconds are summed; an unknown pid gives no figure. */
class CpuMeterTest {

    @Test
    void severalServerPidsAreSummedAndAMissingOneGivesNoFigure() {
        String self = String.valueOf(ProcessHandle.current().pid());
        // Burn some CPU so the tick counter is well above zero.
        long spin = 0;
        for (long i = 0; i < 300_000_000L; i++) {
            spin += i ^ (spin >>> 3);
        }
        assertThat(spin).isNotZero();
        double one = CpuMeter.serverSeconds(self);
        double two = CpuMeter.serverSeconds(self + ", " + self);

        assertThat(one).isPositive();
        assertThat(two).isGreaterThanOrEqualTo(2 * one);
        assertThat(CpuMeter.serverSeconds(self + ",999999999")).isEqualTo(-1);
    }
}
