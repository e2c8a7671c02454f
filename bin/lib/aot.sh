# Sourced by bin/vigil and bin/lib/bench-scoring.sh (after java.sh): where a service's AOT cache lives.
# The file name carries a fingerprint of the packaged app and of the JDK, so a rebuild or another JDK records afresh
# instead of handing the JVM a cache it would refuse.

aot_fingerprint() { # module
  { find "$ROOT/$1/target/quarkus-app" -type f -printf '%P %s %T@\n' | sort; "$JAVA_HOME/bin/java" -version 2>&1; } \
    | sha1sum | cut -c1-12
}

aot_cache_file() { # name module
  echo "$ROOT/.vigil/aot/$1-$(aot_fingerprint "$2").aot"
}
