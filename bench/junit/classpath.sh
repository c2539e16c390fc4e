# Sourced by run.sh and phases.sh: builds nslab-junit (and what it needs) in the reactor and sets CP to its
# classes and test class path (JUnit engine and launcher), never ~/.m2's nslab. Needs REPO and OUT.
(cd "$REPO" && mvn -B -o -q -pl nslab-junit -am package -DskipTests -Dnslab.setup.skip \
   dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test)
CP="$REPO/nslab-junit/target/classes:$(cat "$OUT/cp.txt")"
