package io.nslab.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated test class (one lab for all its tests) or test method (a lab of its own) a lab built from
 * a lab file, under a name of its own so that classes run in parallel without clashes. The lab is torn down
 * after the class or method, whatever its outcome. {@link Lab} is injected into parameters and fields.
 *
 * <pre>{@code
 * @NetLab("lab.yaml")
 * class ReplicationTest {
 *     @Test void survivesAPartition(Lab lab) throws Exception {
 *         lab.partition("a", "b");
 *         ...
 *         lab.heal();
 *     }
 * }
 * }</pre>
 *
 * Without CAP_NET_ADMIN and CAP_SYS_ADMIN the tests are skipped, with the reason.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetLabExtension.class)
public @interface NetLab {
    /** The lab file: a path relative to the working directory, else a class-path resource. */
    String value();
}
