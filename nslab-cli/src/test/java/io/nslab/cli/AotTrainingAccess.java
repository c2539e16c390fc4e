package io.nslab.cli;

import java.io.IOException;
import java.util.Map;

/** Lets tests in other packages run the training in process. */
public final class AotTrainingAccess {
    private AotTrainingAccess() {}

    public static Map<String, Integer> train(boolean kernel) throws IOException {
        return AotTraining.train(kernel);
    }

    public static boolean sandboxed() {
        return AotTraining.sandboxed();
    }
}
