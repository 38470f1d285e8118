package io.callosum.encoders.edf;

/** Field widths of the EDF header (Kemp et al. 1992; EDF+, Kemp and Olivan 2003). */
final class EdfLayout {
    static final int FIXED_HEADER = 256;
    static final int PER_SIGNAL = 256;
    static final int VERSION = 8;
    static final int PATIENT = 80;
    static final int RECORDING = 80;
    static final int DATE = 8;
    static final int TIME = 8;
    static final int HEADER_BYTES = 8;
    static final int RESERVED = 44;
    static final int RECORDS = 8;
    static final int DURATION = 8;
    static final int SIGNALS = 4;
    static final int LABEL = 16;
    static final int TRANSDUCER = 80;
    static final int DIMENSION = 8;
    static final int NUMBER = 8;
    static final int PREFILTERING = 80;
    static final int SIGNAL_RESERVED = 32;

    static final String EDF_PLUS_CONTINUOUS = "EDF+C";
    static final String EDF_PLUS_DISCONTINUOUS = "EDF+D";
    static final char TAL_DURATION = 0x15;
    static final char TAL_SEPARATOR = 0x14;

    private EdfLayout() {
    }
}
