package io.seedmq.messaging.rpc.internal;

/** oslo.messaging's version rules, shared by the client's version cap and the server's dispatch. */
public final class Versions {

    private Versions() {
    }

    /**
     * @param version {@code major.minor[.revision]}
     * @return its three parts, revision 0 when absent
     * @throws IllegalArgumentException when it is not that
     */
    public static int[] parse(String version) {
        // Scanned rather than split: the server checks two versions for every request.
        int[] out = new int[3];
        int part = 0;
        int digits = 0;
        long value = 0;
        for (int i = 0; i <= version.length(); i++) {
            char c = i < version.length() ? version.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 9) {
                    throw notAVersion(version);
                }
            } else if (c == '.' && digits > 0 && part < 3) {
                out[part++] = (int) value;
                value = 0;
                digits = 0;
            } else {
                throw notAVersion(version);
            }
        }
        if (part < 2) {
            throw notAVersion(version);
        }
        return out;
    }

    private static IllegalArgumentException notAVersion(String version) {
        return new IllegalArgumentException("version '" + version + "' is not major.minor[.revision]");
    }

    /**
     * oslo's {@code version_is_compatible}: an implementation at {@code implemented} serves a
     * request for {@code requested} when the majors are equal and the requested minor (then
     * revision) is not above the implemented one.
     *
     * @param implemented the version served (or the client's cap)
     * @param requested the version asked for
     * @return whether they are compatible
     */
    public static boolean compatible(String implemented, String requested) {
        int[] imp = parse(implemented);
        int[] req = parse(requested);
        if (imp[0] != req[0]) {
            return false;
        }
        if (req[1] != imp[1]) {
            return req[1] < imp[1];
        }
        return req[2] <= imp[2];
    }
}
