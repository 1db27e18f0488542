/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the administrator's policy files, changed through ward
 */

#ifndef WARD_POLICY_INSTALL_H
#define WARD_POLICY_INSTALL_H

/* "ward policy install FILE...": copies FILEs into WARD_ADMIN_DIR. */
int do_policy_install(int argc, char **argv);

/* "ward policy remove NAME...": removes them from WARD_ADMIN_DIR. */
int do_policy_remove(int argc, char **argv);

#endif /* WARD_POLICY_INSTALL_H */
