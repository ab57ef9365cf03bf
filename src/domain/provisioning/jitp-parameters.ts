/**
 * The template parameters just-in-time provisioning fills from the device certificate (reference §2.3, AWS's
 * "Just-in-time provisioning" page): seven subject attributes and the certificate's id. A template that declares one
 * of the subject parameters for a certificate whose subject lacks it fails to provision.
 */

/** The subject attributes JITP reads, by the short names openssl's `-subj` uses. */
export type SubjectField = 'C' | 'O' | 'OU' | 'dnQualifier' | 'ST' | 'CN' | 'serialNumber';

export type SubjectValues = Readonly<Partial<Record<SubjectField, string>>>;

export const JITP_SUBJECT_PARAMETERS: Readonly<Record<string, SubjectField>> = {
  'AWS::IoT::Certificate::Country': 'C',
  'AWS::IoT::Certificate::Organization': 'O',
  'AWS::IoT::Certificate::OrganizationalUnit': 'OU',
  'AWS::IoT::Certificate::DistinguishedNameQualifier': 'dnQualifier',
  'AWS::IoT::Certificate::StateName': 'ST',
  'AWS::IoT::Certificate::CommonName': 'CN',
  'AWS::IoT::Certificate::SerialNumber': 'serialNumber',
};

export const CERTIFICATE_ID_PARAMETER = 'AWS::IoT::Certificate::Id';

/** The values the template sees: every subject parameter the certificate has, and the certificate id. */
export function jitpParameters(subject: SubjectValues, certificateId: string): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, field] of Object.entries(JITP_SUBJECT_PARAMETERS)) {
    const value = subject[field];
    if (value !== undefined) parameters[name] = value;
  }
  parameters[CERTIFICATE_ID_PARAMETER] = certificateId;
  return parameters;
}

/** The subject parameters the template declares that the certificate's subject does not have, in template order. */
export function missingSubjectParameters(declared: Iterable<string>, subject: SubjectValues): string[] {
  const missing: string[] = [];
  for (const name of declared) {
    const field = Object.hasOwn(JITP_SUBJECT_PARAMETERS, name) ? JITP_SUBJECT_PARAMETERS[name] : undefined;
    if (field !== undefined && subject[field] === undefined) missing.push(name);
  }
  return missing;
}

/** Why a CA's named template cannot provision its devices, or undefined when it can. */
export function jitpTemplateRefusal(
  template: { readonly templateName: string; readonly enabled: boolean; readonly templateType: string } | undefined,
  templateName: string,
): string | undefined {
  if (template === undefined) return `provisioning template ${templateName} does not exist`;
  if (template.templateType !== 'JITP') return `provisioning template ${templateName} is not a JITP template`;
  if (!template.enabled) return `provisioning template ${templateName} is disabled`;
  return undefined;
}
