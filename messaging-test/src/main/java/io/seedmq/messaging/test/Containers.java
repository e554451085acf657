package io.seedmq.messaging.test;

import java.lang.reflect.InvocationTargetException;

/**
 * Testcontainers, reached by reflection: the kit depends on it, yet names none of its types, so the
 * kit's module needs no {@code requires} of Testcontainers' automatic modules (whose names come
 * from jar file names), and a build that excludes Testcontainers still loads the kit. Used only
 * once {@link MachineProbes} saw it on the class path.
 */
final class Containers {

    private Containers() {
    }

    /** @return whether Testcontainers reaches a Docker engine ({@code DockerClientFactory.instance().isDockerAvailable()}) */
    static boolean dockerAvailable() {
        Class<?> factory = load("org.testcontainers.DockerClientFactory");
        Object instance = call(factory, null, "instance");
        return (Boolean) call(factory, instance, "isDockerAvailable");
    }

    /**
     * Starts a {@code RabbitMQContainer} for the rest of the run. Testcontainers' reaper (Ryuk)
     * removes it when the JVM exits; the kit never stops it earlier, so every class of the run
     * shares it.
     *
     * @param image the image
     * @return its AMQP URL, with the container's credentials and the default virtual host
     */
    static String startRabbitMq(String image) {
        Class<?> type = load("org.testcontainers.rabbitmq.RabbitMQContainer");
        Object container;
        try {
            container = type.getConstructor(String.class).newInstance(image);
        } catch (ReflectiveOperationException e) {
            throw failure("new RabbitMQContainer(" + image + ")", e);
        }
        call(type, container, "start");
        return "amqp://" + call(type, container, "getAdminUsername") + ":" + call(type, container, "getAdminPassword")
                + "@" + call(type, container, "getHost") + ":" + call(type, container, "getAmqpPort") + "/";
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, true, Containers.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Testcontainers is not on the class path: " + name, e);
        }
    }

    private static Object call(Class<?> type, Object target, String method) {
        try {
            return type.getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw failure(type.getSimpleName() + "." + method + "()", e);
        }
    }

    private static RuntimeException failure(String what, ReflectiveOperationException e) {
        Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
        return cause instanceof RuntimeException re ? re : new IllegalStateException(what + " failed: " + cause, cause);
    }
}
