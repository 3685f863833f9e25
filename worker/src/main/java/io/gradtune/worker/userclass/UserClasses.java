package io.gradtune.worker.userclass;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * The one place a class a user named (a study's {@code model.class} or {@code data.class}, or the Java builder) is
 * loaded and instantiated: from the thread's context class loader (Spark's, with {@code --jars}), checked to be a
 * concrete implementation of the expected interface with a public no-arg constructor. Each caller turns a failure
 * into its own exception type, so the message names the kind of class and what to do.
 */
public final class UserClasses {

    /** Makes the caller's exception for a class that cannot be used. */
    @FunctionalInterface
    public interface Failure {
        /**
         * @param className the name the user gave
         * @param reason    what is wrong and what to do, to follow the class name
         * @param cause     the underlying exception, or null
         */
        RuntimeException of(String className, String reason, Throwable cause);
    }

    private UserClasses() {
    }

    /**
     * An instance of {@code className}.
     *
     * @param type         the interface it must implement
     * @param notFoundHint what to do when it is not on the class path (e.g. where its name comes from)
     * @param purpose      what such a class does, said when it does not implement {@code type}
     * @param failure      the caller's exception for each failure
     */
    public static <T> T instantiate(String className, Class<T> type, String notFoundHint, String purpose,
                                    Failure failure) {
        Class<?> c;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            c = Class.forName(className, false, loader != null ? loader : UserClasses.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw failure.of(className, "not found on the classpath (" + e + "); " + notFoundHint, e);
        }
        if (!type.isAssignableFrom(c)) {
            throw failure.of(className, "does not implement " + type.getName() + "; " + purpose, null);
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw failure.of(className, "is abstract; name a concrete class", null);
        }
        Constructor<?> ctor;
        try {
            ctor = c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw failure.of(className, "has no public no-arg constructor; add one (the class must be "
                    + "public, and a nested class static)", e);
        }
        try {
            return type.cast(ctor.newInstance());
        } catch (InvocationTargetException e) {
            throw failure.of(className, "its constructor threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw failure.of(className, "cannot be instantiated: " + e, e);
        }
    }
}
