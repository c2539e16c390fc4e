package io.nslab.cli;

/** Lets tests in other packages run the training in process. */
public final class AotTrainingAccess {
    private AotTrainingAccess() {}

    public static java.util.Map<String, Integer> train(boolean kernel) throws java.io.IOException {
        return AotTraining.train(kernel);
    }

    public static boolean sandboxed() {
        return AotTraining.sandboxed();
    }
}
