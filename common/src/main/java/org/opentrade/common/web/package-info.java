/** Vert.x Web helpers every HTTP service shares ({@link org.opentrade.common.web.ReadRoutes}). */
package org.opentrade.common.web;
