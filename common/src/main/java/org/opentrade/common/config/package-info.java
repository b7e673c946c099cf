/**
 * Configuration loading shared by every service: one commented YAML file per service on the
 * classpath, an optional override file, {@code ${ENV_NAME:default}} substitution, typed and
 * validated reads. See {@link org.opentrade.common.config.ConfigLoader}.
 */
package org.opentrade.common.config;
