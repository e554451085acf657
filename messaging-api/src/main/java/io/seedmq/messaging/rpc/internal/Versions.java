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
        String[] parts = version.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("version '" + version + "' is not major.minor[.revision]");
        }
        int[] out = new int[3];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Integer.parseInt(parts[i]);
                if (out[i] < 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version '" + version + "' is not major.minor[.revision]");
        }
        return out;
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
