# Sourced by bin/vigil, bin/lib/*.sh and .ci/run: which JDK the suite builds, tests and runs on.
#
# Java 25 is the suite's runtime: its AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) halves
# the cold phase of a started service (scoring-service README, "Decision path speed"). The bytecode stays at 17, so a
# machine with only 17 still builds and runs everything, without the cache; vigil says so once.
#
# Order: VIGIL_JAVA_HOME; JAVA_HOME when it is 25 or newer; the newest JDK 25+ under /usr/lib/jvm; else JAVA_HOME or
# the java on PATH as they are. Exports JAVA_HOME (./mvnw and every java vigil starts use it) and VIGIL_JAVA_MAJOR.

java_major() { # java-executable -> major version, 0 if it cannot tell
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)
  [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

vigil_select_java() {
  local candidate major best= best_major=0
  if [[ -n ${VIGIL_JAVA_HOME:-} ]]; then
    [[ -x $VIGIL_JAVA_HOME/bin/java ]] || { echo "vigil: VIGIL_JAVA_HOME=$VIGIL_JAVA_HOME has no bin/java" >&2; return 1; }
    best=$VIGIL_JAVA_HOME; best_major=$(java_major "$best/bin/java")
  else
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
      major=$(java_major "$JAVA_HOME/bin/java")
      if ((major >= 25)); then best=$JAVA_HOME; best_major=$major; fi
    fi
    if [[ -z $best ]]; then
      for candidate in /usr/lib/jvm/*; do
        [[ -x $candidate/bin/java && -x $candidate/bin/javac && ! -L $candidate ]] || continue
        major=$(java_major "$candidate/bin/java")
        if ((major >= 25 && major > best_major)); then best=$candidate; best_major=$major; fi
      done
    fi
    if [[ -z $best ]]; then
      if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        best=$JAVA_HOME
      elif command -v java > /dev/null; then
        best=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
      else
        echo "vigil: no Java found (Java 25 preferred, 17 at least; set VIGIL_JAVA_HOME)" >&2; return 1
      fi
      best_major=$(java_major "$best/bin/java")
      if [[ -z ${VIGIL_JAVA_NOTICE_SHOWN:-} ]]; then
        echo "vigil: no Java 25 found; using Java $best_major at $best (no AOT cache: slower first seconds after ready)" >&2
        export VIGIL_JAVA_NOTICE_SHOWN=1
      fi
    fi
  fi
  ((best_major >= 17)) || { echo "vigil: Java $best_major at $best is too old (17 at least, 25 preferred)" >&2; return 1; }
  export JAVA_HOME=$best VIGIL_JAVA_MAJOR=$best_major
  export PATH="$JAVA_HOME/bin:$PATH"
}
