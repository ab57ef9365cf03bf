/** FLEET_PROVISIONING templates serve devices over MQTT; JITP templates serve a CA's first connections. */
export const TEMPLATE_TYPES = ['FLEET_PROVISIONING', 'JITP'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];
