package io.nslab.junit;

import io.nslab.lab.engine.LabEngine;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JUnit 5 extension behind {@link NetLab}, also registered in code for a lab built with {@link LabSpec}:
 * a {@code static} {@code @RegisterExtension} field gives the class one lab, an instance field one lab per test.
 *
 * <p>Each lab is brought up under an instance name of its own ({@code BASE-jTOKENn}, see {@code nslab up --name}),
 * so the same file can be up for many classes at once under JUnit's parallel execution. It is kept in the
 * class's or method's {@link ExtensionContext.Store}, which JUnit closes when that context ends, whatever its
 * outcome; a JVM shutdown (Ctrl-C, SIGTERM) tears down what is still up; a JVM killed outright leaves the
 * lab's journal, and the next JVM that makes a lab here brings such leftovers down.
 */
public final class NetLabExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final String KEY = "lab";
    private static final Set<Lab> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Owners owners;

    private final Optional<LabSpec> spec;

    /** For {@link NetLab}: the lab file comes from the annotation. */
    public NetLabExtension() {
        this.spec = Optional.empty();
    }

    private NetLabExtension(LabSpec spec) {
        this.spec = Optional.of(spec);
    }

    /** For {@code @RegisterExtension}: a lab from {@code spec}, per class (static field) or per test (instance field). */
    public static NetLabExtension of(LabSpec spec) {
        return new NetLabExtension(spec);
    }

    private Namespace namespace() {
        return spec.isPresent() ? Namespace.create(NetLabExtension.class, this) : Namespace.create(NetLabExtension.class);
    }

    @Override public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Privileges.missing().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("CAP_NET_ADMIN and CAP_SYS_ADMIN are effective"));
    }

    @Override public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> c = context.getRequiredTestClass();
        Optional<LabSpec> s = spec.isPresent() ? spec
                : AnnotationSupport.findAnnotation(c, NetLab.class).map(a -> LabSpec.locate(a.value(), c));
        if (s.isEmpty()) return;
        Lab lab = up(s.get());
        context.getStore(namespace()).put(KEY, lab);
        inject(c, null, lab, true);
    }

    @Override public void beforeEach(ExtensionContext context) throws Exception {
        Class<?> c = context.getRequiredTestClass();
        Optional<LabSpec> s = spec.isPresent()
                ? (context.getStore(namespace()).get(KEY, Lab.class) == null ? spec : Optional.empty())
                : AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), NetLab.class).map(a -> LabSpec.locate(a.value(), c));
        if (s.isPresent()) context.getStore(namespace()).put(KEY, up(s.get()));
        Lab lab = context.getStore(namespace()).get(KEY, Lab.class);
        if (lab == null) return;
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) inject(instance.getClass(), instance, lab, false);
    }

    @Override public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        return p.getParameter().getType() == Lab.class && context.getStore(namespace()).get(KEY, Lab.class) != null;
    }

    @Override public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        return context.getStore(namespace()).get(KEY, Lab.class);
    }

    /** Sets the static (class lab) or instance fields of type {@link Lab}. */
    private static void inject(Class<?> c, Object instance, Lab lab, boolean statics) throws IllegalAccessException {
        for (Field f : ReflectionSupport.findFields(c, x -> x.getType() == Lab.class && ModifierSupport.isStatic(x) == statics,
                HierarchyTraversalMode.TOP_DOWN)) {
            try {
                f.setAccessible(true);
            } catch (InaccessibleObjectException e) {
                throw new IllegalStateException("cannot set field " + c.getName() + "." + f.getName()
                        + ": open its package to module io.nslab.junit, or take the Lab as a parameter", e);
            }
            f.set(instance, lab);
        }
    }

    private static Lab up(LabSpec spec) throws Exception {
        LabEngine engine = LabEngine.system();
        Owners mine = owners(engine);
        Lab lab = Lab.up(engine, spec, Topology.of(spec, mine::next));
        LIVE.add(lab);
        return lab;
    }

    /** This JVM's token, taken (and the leftovers of dead JVMs swept) before its first lab. */
    private static Owners owners(LabEngine engine) throws Exception {
        Owners o = owners;
        if (o != null) return o;
        synchronized (NetLabExtension.class) {
            if (owners == null) {
                Owners mine = Owners.take(engine.dirs().root().resolve("junit"));
                mine.sweep(engine);
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nslab-junit-teardown").unstarted(NetLabExtension::downAll));
                owners = mine;
            }
            return owners;
        }
    }

    static void forget(Lab lab) {
        LIVE.remove(lab);
    }

    /** At JVM shutdown: whatever is still up (an aborted run) goes down. */
    private static void downAll() {
        for (Lab l : Set.copyOf(LIVE)) {
            try {
                l.close();
            } catch (Exception e) {
                System.err.println("nslab-junit: " + l.name() + ": " + e.getMessage());
            }
        }
    }
}
