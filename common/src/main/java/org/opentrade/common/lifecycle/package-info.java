/** What a process's start and stop share across services: the drain of a graceful stop ({@link org.opentrade.common.lifecycle.Drain}). */
package org.opentrade.common.lifecycle;
